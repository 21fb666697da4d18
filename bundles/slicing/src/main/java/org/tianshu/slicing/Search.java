package org.tianshu.slicing;

/**
 * One thread's workspace for path searches over a {@link Graph}: Dijkstra on latency with an indexed binary heap,
 * pruned by admin state, free bandwidth and an exclusion mark, and optionally on Suurballe's reduced costs over the
 * residual graph of a first path. Arrays are reused between searches; stamps replace clearing them.
 */
final class Search {
    private final Graph g;
    private final long[] dist;
    private final long[] pot;
    private final int[] prevNode;
    private final int[] prevLink;
    private final int[] seen;
    private final Heap fwd;
    private final long[] distB;
    private final int[] nextNode;
    private final int[] nextLink;
    private final int[] seenB;
    private final Heap bwd;
    private int meet;
    private int stamp;

    private final int[] linkMark;
    private int markStamp;
    private final int[] resMark;
    private final int[] resFrom;
    private int resStamp;
    private final int[] srlgMark;
    private int srlgStamp;

    private final int[] outHead;
    private final int[] outSeen;
    private int outStamp;

    Search(Graph g) {
        this.g = g;
        int n = g.routers;
        dist = new long[n];
        pot = new long[n];
        prevNode = new int[n];
        prevLink = new int[n];
        seen = new int[n];
        fwd = new Heap(dist);
        distB = new long[n];
        nextNode = new int[n];
        nextLink = new int[n];
        seenB = new int[n];
        bwd = new Heap(distB);
        linkMark = new int[g.links];
        resMark = new int[g.links];
        resFrom = new int[g.links];
        srlgMark = new int[g.srlgLinks.length];
        outHead = new int[n];
        outSeen = new int[n];
    }

    Graph graph() {
        return g;
    }

    /**
     * Dijkstra from {@code s} on latency over links that are up, have {@code bw} Mbps free ({@code bw <= 0}: any) and,
     * when {@code exclude}, are not marked by {@link #exclude}. With {@code residual}, the links of the first path
     * (see {@link #setResidual}) can only be crossed backwards, at minus their latency, and all costs are reduced by
     * the potentials saved by {@link #savePotentials}. Without {@code residual}, routers farther than {@code bound}
     * are not explored. Stops when {@code t} is settled.
     *
     * @return whether {@code t} was reached
     */
    boolean run(boolean[] up, long[] free, int s, int t, long bw, long bound, boolean exclude, boolean residual) {
        nextStamp();
        fwd.size = 0;
        meet = -1;
        dist[s] = 0;
        seen[s] = stamp;
        prevNode[s] = -1;
        prevLink[s] = -1;
        fwd.push(s);
        final int[] adjStart = g.adjStart;
        final int[] adjNode = g.adjNode;
        final int[] adjLink = g.adjLink;
        final long[] adjLatency = g.adjLatency;
        while (fwd.size > 0) {
            int u = fwd.pop();
            if (u == t) {
                return true;
            }
            long du = dist[u];
            for (int k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
                int l = adjLink[k];
                if (!up[l] || (bw > 0 && free[l] < bw) || (exclude && linkMark[l] == markStamp)) {
                    continue;
                }
                int v = adjNode[k];
                long w = adjLatency[k];
                if (residual) {
                    if (resMark[l] == resStamp) {
                        if (resFrom[l] == u) {
                            continue;
                        }
                        w = -w;
                    }
                    w += pot[u] - pot[v];
                }
                long nd = du + w;
                if (!residual && nd > bound) {
                    continue;
                }
                if (seen[v] != stamp) {
                    seen[v] = stamp;
                    dist[v] = nd;
                    prevNode[v] = u;
                    prevLink[v] = l;
                    fwd.push(v);
                } else if (fwd.pos[v] >= 0 && nd < dist[v]) {
                    dist[v] = nd;
                    prevNode[v] = u;
                    prevLink[v] = l;
                    fwd.decreased(v);
                }
            }
        }
        return seen[t] == stamp;
    }

    /** The path to {@code t} found by the last {@link #run} or {@link #runBidirectional}, which must have reached it. */
    Route route(int t) {
        int end = meet >= 0 ? meet : t;
        int hops = 0;
        for (int v = end; prevNode[v] >= 0; v = prevNode[v]) {
            hops++;
        }
        int tail = 0;
        if (meet >= 0) {
            for (int v = meet; nextNode[v] >= 0; v = nextNode[v]) {
                tail++;
            }
        }
        int[] nodes = new int[hops + tail + 1];
        int[] links = new int[hops + tail];
        long latency = 0;
        int v = end;
        for (int i = hops; i > 0; i--) {
            nodes[i] = v;
            links[i - 1] = prevLink[v];
            latency += g.latency[prevLink[v]];
            v = prevNode[v];
        }
        nodes[0] = v;
        v = end;
        for (int i = hops; i < hops + tail; i++) {
            links[i] = nextLink[v];
            latency += g.latency[nextLink[v]];
            v = nextNode[v];
            nodes[i + 1] = v;
        }
        return new Route(nodes, links, latency);
    }

    /**
     * Bidirectional Dijkstra from {@code s} and {@code t} at once, with the pruning of {@link #run} (no residual
     * graph): it stops when the two frontiers' smallest distances add up to the best meeting found, so on a
     * hierarchical backbone it settles far fewer routers than a search from one end.
     *
     * @return whether a path of at most {@code bound} was found
     */
    boolean runBidirectional(boolean[] up, long[] free, int s, int t, long bw, long bound, boolean exclude) {
        nextStamp();
        fwd.size = 0;
        bwd.size = 0;
        dist[s] = 0;
        seen[s] = stamp;
        prevNode[s] = -1;
        prevLink[s] = -1;
        fwd.push(s);
        distB[t] = 0;
        seenB[t] = stamp;
        nextNode[t] = -1;
        nextLink[t] = -1;
        bwd.push(t);
        long best = Long.MAX_VALUE;
        int bestMeet = -1;
        final int[] adjStart = g.adjStart;
        final int[] adjNode = g.adjNode;
        final int[] adjLink = g.adjLink;
        final long[] adjLatency = g.adjLatency;
        while (fwd.size > 0 && bwd.size > 0) {
            if (fwd.topKey() + bwd.topKey() >= best) {
                break;
            }
            boolean forward = fwd.size <= bwd.size;
            Heap h = forward ? fwd : bwd;
            long[] d = forward ? dist : distB;
            long[] other = forward ? distB : dist;
            int[] mine = forward ? seen : seenB;
            int[] theirs = forward ? seenB : seen;
            int[] pn = forward ? prevNode : nextNode;
            int[] pl = forward ? prevLink : nextLink;
            int u = h.pop();
            long du = d[u];
            for (int k = adjStart[u], end = adjStart[u + 1]; k < end; k++) {
                int l = adjLink[k];
                if (!up[l] || (bw > 0 && free[l] < bw) || (exclude && linkMark[l] == markStamp)) {
                    continue;
                }
                int v = adjNode[k];
                long nd = du + adjLatency[k];
                if (nd > bound) {
                    continue;
                }
                if (mine[v] != stamp) {
                    mine[v] = stamp;
                    d[v] = nd;
                    pn[v] = u;
                    pl[v] = l;
                    h.push(v);
                } else if (h.pos[v] >= 0 && nd < d[v]) {
                    d[v] = nd;
                    pn[v] = u;
                    pl[v] = l;
                    h.decreased(v);
                } else {
                    continue;
                }
                if (theirs[v] == stamp && d[v] + other[v] < best) {
                    best = d[v] + other[v];
                    bestMeet = v;
                }
            }
        }
        meet = bestMeet;
        return bestMeet >= 0 && best <= bound;
    }

    /**
     * Keeps the distances of the last run, which reached {@code t}, as potentials for reduced costs: exact for the
     * routers it settled, {@code dist(t)} for all others. Every router it did not settle is at least that far, so every
     * reduced cost stays non-negative (Suurballe with early termination).
     */
    void savePotentials(int t) {
        long cap = dist[t];
        for (int v = 0; v < pot.length; v++) {
            pot[v] = seen[v] == stamp && fwd.pos[v] < 0 ? dist[v] : cap;
        }
    }

    /** Marks the links of {@code first} for a residual run. */
    void setResidual(Route first) {
        if (++resStamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(resMark, 0);
            resStamp = 1;
        }
        for (int i = 0; i < first.links().length; i++) {
            int l = first.links()[i];
            resMark[l] = resStamp;
            resFrom[l] = first.nodes()[i];
        }
    }

    /**
     * Bhandari's step after a residual run that reached {@code t}: the union of the first path and the residual path,
     * without the links the second crossed backwards, split into two link-disjoint paths from {@code s} to {@code t}.
     */
    Route[] splitPair(Route first, int s, int t) {
        Route second = route(t);
        int max = first.links().length + second.links().length;
        int[] arcFrom = new int[max];
        int[] arcLink = new int[max];
        int[] arcNext = new int[max];
        boolean[] used = new boolean[max];
        if (++outStamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(outSeen, 0);
            outStamp = 1;
        }
        // links the second path crossed backwards cancel out; mark them with the exclusion stamp
        nextMark();
        for (int l : second.links()) {
            if (resMark[l] == resStamp) {
                linkMark[l] = markStamp;
            }
        }
        int arcs = 0;
        for (int i = 0; i < first.links().length; i++) {
            int l = first.links()[i];
            if (linkMark[l] != markStamp) {
                arcs = addArc(arcs, first.nodes()[i], l, arcFrom, arcLink, arcNext);
            }
        }
        for (int i = 0; i < second.links().length; i++) {
            int l = second.links()[i];
            if (resMark[l] != resStamp) {
                arcs = addArc(arcs, second.nodes()[i], l, arcFrom, arcLink, arcNext);
            }
        }
        Route a = walk(s, t, arcs, arcLink, arcNext, used);
        Route b = walk(s, t, arcs, arcLink, arcNext, used);
        return new Route[] {a, b};
    }

    private int addArc(int arcs, int from, int l, int[] arcFrom, int[] arcLink, int[] arcNext) {
        arcFrom[arcs] = from;
        arcLink[arcs] = l;
        arcNext[arcs] = outSeen[from] == outStamp ? outHead[from] : -1;
        outSeen[from] = outStamp;
        outHead[from] = arcs;
        return arcs + 1;
    }

    private Route walk(int s, int t, int arcs, int[] arcLink, int[] arcNext, boolean[] used) {
        int[] nodes = new int[arcs + 1];
        int[] links = new int[arcs];
        int hops = 0;
        long latency = 0;
        int u = s;
        nodes[0] = s;
        while (u != t) {
            int a = outSeen[u] == outStamp ? outHead[u] : -1;
            while (a >= 0 && used[a]) {
                a = arcNext[a];
            }
            if (a < 0 || hops == arcs) {
                throw new IllegalStateException("disjoint pair does not decompose at router " + g.routerIds[u]);
            }
            used[a] = true;
            int l = arcLink[a];
            links[hops] = l;
            latency += g.latency[l];
            u = g.other(l, u);
            nodes[++hops] = u;
        }
        return new Route(java.util.Arrays.copyOf(nodes, hops + 1), java.util.Arrays.copyOf(links, hops), latency);
    }

    /** Marks for exclusion the links of {@code route} and every link sharing an SRLG with one of them. */
    void exclude(Route route) {
        nextMark();
        for (int l : route.links()) {
            linkMark[l] = markStamp;
            for (int grp : g.linkSrlgs[l]) {
                for (int other : g.srlgLinks[grp]) {
                    linkMark[other] = markStamp;
                }
            }
        }
    }

    /** True when the two routes share no link and no SRLG. */
    boolean srlgDisjoint(Route a, Route b) {
        nextMark();
        if (++srlgStamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(srlgMark, 0);
            srlgStamp = 1;
        }
        for (int l : a.links()) {
            linkMark[l] = markStamp;
            for (int grp : g.linkSrlgs[l]) {
                srlgMark[grp] = srlgStamp;
            }
        }
        for (int l : b.links()) {
            if (linkMark[l] == markStamp) {
                return false;
            }
            for (int grp : g.linkSrlgs[l]) {
                if (srlgMark[grp] == srlgStamp) {
                    return false;
                }
            }
        }
        return true;
    }

    private void nextMark() {
        if (++markStamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(linkMark, 0);
            markStamp = 1;
        }
    }

    private void nextStamp() {
        if (++stamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(seen, 0);
            stamp = 1;
        }
    }
}
