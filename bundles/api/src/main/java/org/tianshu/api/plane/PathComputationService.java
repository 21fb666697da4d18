package org.tianshu.api.plane;

import java.util.List;
import java.util.Optional;

/**
 * Constrained path computation over the backbone, with admission control: every admitted path holds its bandwidth on
 * its links, across all business planes, until released. Errors are {@link org.tianshu.api.TianshuException}s:
 * an unknown router is NOT_FOUND naming the field ({@code from}, {@code to}, {@code linkId}); a request no path can
 * meet is CONFLICT naming the constraint and the bottleneck, e.g. {@code maxLatency: best path 12.3 ms > 10 ms} or
 * {@code bandwidth: link r3-r7 has 200 of 1000 Mbps free, 300 Mbps requested}.
 */
public interface PathComputationService {

    /**
     * Replaces the topology. INVALID naming the field on duplicate ids, unknown link ends, loops, capacity below 1 or
     * latency below 1; CONFLICT while reservations exist.
     */
    void load(Topology topology);

    /** The current topology, with each link's current admin state. */
    Topology topology();

    /** Computes the paths for a request without reserving anything (a dry run). */
    PathAnswer compute(PathRequest request);

    /**
     * Computes the paths and reserves the bandwidth on all their links, all or nothing. CONFLICT if the id is already
     * reserved.
     */
    PathAnswer reserve(PathRequest request);

    /**
     * Reserves a request on the paths of an earlier answer, e.g. to restore reservations after a restart without
     * moving traffic: the paths are booked as they are when every link exists, is up and has the bandwidth free, and
     * they still join the request's routers; otherwise the request is computed afresh as by {@link #reserve(PathRequest)}.
     * CONFLICT naming {@code id} if the id is reserved.
     */
    PathAnswer reserve(PathAnswer pinned);

    /**
     * Replaces reservations atomically, make-before-break with shared bandwidth: releases {@code release}, then
     * reserves {@code requests} in order, each seeing the bandwidth the released ones held; a released id that is
     * reserved again keeps its place in admission order, new ids come last. If one is refused, the new
     * bookings are undone, the released reservations come back with their old paths and admission order, and the
     * refusal (CONFLICT naming the constraint, its message starting with the request's id) is thrown. With
     * {@code dryRun} the answers are computed the same way and then everything is put back. NOT_FOUND naming
     * {@code release} for an id that is not reserved; CONFLICT naming {@code id} for a request id that is reserved and
     * not released.
     */
    List<PathAnswer> replace(List<String> release, List<PathRequest> requests, boolean dryRun);

    /** Releases a reservation's bandwidth; NOT_FOUND naming {@code id} if there is none. */
    void release(String id);

    /** A live reservation. */
    Optional<PathAnswer> reservation(String id);

    /** Every live reservation, in admission order. */
    List<PathAnswer> reservations();

    /** Bandwidth reserved on a link, in Mbit/s; NOT_FOUND naming {@code linkId} for an unknown link. */
    long reservedMbps(String linkId);

    /**
     * Takes a link down and re-routes every reservation that crossed it: all of their bandwidth is released first,
     * then each is admitted again in admission order. Returns one {@link Reroute} per affected reservation, in that
     * order; the refused ones are released.
     */
    List<Reroute> linkDown(String linkId);

    /** Brings a link back up; existing reservations keep their paths. */
    void linkUp(String linkId);
}
