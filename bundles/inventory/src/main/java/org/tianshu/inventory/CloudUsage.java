package org.tianshu.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.scheduling.Usage;
import org.tianshu.api.scheduling.UsageSource;

/**
 * The measured use that the onboarded clouds report themselves ({@link org.tianshu.api.cloud.CloudSession#usage()}),
 * as one {@link UsageSource}. A cloud whose metrics cannot be read is left out of that sample, with a warning when its
 * problem changes.
 */
@Component(service = UsageSource.class)
public class CloudUsage implements UsageSource {
    private static final Logger LOG = LoggerFactory.getLogger(CloudUsage.class);

    private final CloudService clouds;
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    @Activate
    public CloudUsage(@Reference CloudService clouds) {
        this.clouds = clouds;
    }

    @Override
    public List<Usage> sample() {
        List<Usage> out = new ArrayList<>();
        for (Cloud c : clouds.list()) {
            try {
                out.addAll(clouds.session(c.id()).usage());
                problems.remove(c.id());
            } catch (RuntimeException e) {
                String problem = String.valueOf(e.getMessage());
                if (!problem.equals(problems.put(c.id(), problem))) {
                    LOG.warn("usage of cloud {} not readable, judged on allocation alone: {}", c.id(), problem);
                }
            }
        }
        return out;
    }
}
