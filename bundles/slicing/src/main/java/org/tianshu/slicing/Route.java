package org.tianshu.slicing;

/** A path inside the engine: router and link numbers in order, and its latency. */
record Route(int[] nodes, int[] links, long latency) {
}
