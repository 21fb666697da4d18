package org.tianshu.adapter.srv6;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tianshu.api.plane.ProbeResult;

/** Reads iputils ping's output: replies (duplicates counted once) and their round-trip times. */
final class PingOutput {
    private static final Pattern REPLY = Pattern.compile("icmp_seq=(\\d+) .*time=([0-9.]+) ms(?! *\\(DUP!\\))");
    private static final Pattern SENT = Pattern.compile("(\\d+) packets transmitted");

    private PingOutput() {
    }

    /** The probe result; {@code count} is what was asked for, used when ping printed no summary (no route at all). */
    static ProbeResult parse(String output, int count) {
        Set<String> seqs = new HashSet<>();
        List<Long> rtts = new ArrayList<>();
        Matcher m = REPLY.matcher(output);
        while (m.find()) {
            if (seqs.add(m.group(1))) {
                rtts.add(Math.round(Double.parseDouble(m.group(2)) * 1000));
            }
        }
        Matcher s = SENT.matcher(output);
        int sent = s.find() ? Integer.parseInt(s.group(1)) : count;
        if (rtts.isEmpty()) {
            return new ProbeResult(sent, 0, -1, -1);
        }
        rtts.sort(null);
        return new ProbeResult(sent, rtts.size(), rtts.get((rtts.size() - 1) / 2), rtts.get(rtts.size() - 1));
    }
}
