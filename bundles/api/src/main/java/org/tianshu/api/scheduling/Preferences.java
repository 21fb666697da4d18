package org.tianshu.api.scheduling;

/**
 * Weights of the soft criteria, each zero or more; among hosts that meet every constraint the one with the
 * highest weighted sum of scores wins.
 *
 * @param pack weight of filling hosts that are already in use (fewer hosts in use)
 * @param spread weight of choosing the least loaded host in use (an empty host only when no host in use fits)
 * @param cost weight of the {@link ScoringCriterion#COST} scorer
 * @param energy weight of the {@link ScoringCriterion#ENERGY} scorer
 * @param latency weight of the {@link ScoringCriterion#LATENCY} scorer
 */
public record Preferences(double pack, double spread, double cost, double energy, double latency) {
    /** Pack only: the default. */
    public static final Preferences PACK = new Preferences(1, 0, 0, 0, 0);
    /** Spread only. */
    public static final Preferences SPREAD = new Preferences(0, 1, 0, 0, 0);

    /** The weight of a scorer's criterion. */
    public double weight(ScoringCriterion criterion) {
        return switch (criterion) {
            case COST -> cost;
            case ENERGY -> energy;
            case LATENCY -> latency;
        };
    }
}
