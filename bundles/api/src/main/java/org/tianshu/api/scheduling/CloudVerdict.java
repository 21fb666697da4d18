package org.tianshu.api.scheduling;

/**
 * Why a cloud was or was not used for a request.
 *
 * @param cloudId the cloud
 * @param rejectedBy the hard constraint that excluded every host of the cloud, null if some host was eligible
 * @param reason what the constraint found (for {@link Constraint#CAPACITY}: what was short), or how it scored
 * @param score best score of an eligible host of this cloud (for the first member), NaN when rejected
 * @param members how many members of the decision went to this cloud
 */
public record CloudVerdict(String cloudId, Constraint rejectedBy, String reason, double score, int members) {
    /** True if some host of the cloud could take a member. */
    public boolean eligible() {
        return rejectedBy == null;
    }
}
