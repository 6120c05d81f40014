/**
 * {@code ribbit blast}, a BGP load generator: the engine behind
 * {@link io.ribbit.collector.cli.BlastCommand}.
 *
 * <ul>
 *   <li>What is sent: a {@link io.ribbit.collector.blast.Workload} of
 *       {@link io.ribbit.collector.blast.Change}s (announce a {@link io.ribbit.collector.blast.RouteGroup},
 *       or withdraw prefixes), from {@link io.ribbit.collector.blast.SyntheticTable} (feeder.py's
 *       model), {@link io.ribbit.collector.blast.MrtSource} or {@link io.ribbit.collector.blast.RouteList}.</li>
 *   <li>Encoding: {@link io.ribbit.collector.blast.StreamEncoder} turns it, once per session (own
 *       AS first in the path, own next hop), into an {@link io.ribbit.collector.blast.EncodedStream}
 *       of 1 MiB direct segments with the codec.</li>
 *   <li>Sending: {@link io.ribbit.collector.blast.BlastSession} (one BGP session, Netty, epoll when
 *       available) writes the segments as slices under back-pressure, paced by a
 *       {@link io.ribbit.collector.blast.Pace}; {@link io.ribbit.collector.blast.Blast} runs the
 *       sessions, the End-of-RIB and the churn waves and produces the
 *       {@link io.ribbit.collector.blast.BlastReport}.</li>
 * </ul>
 */
package io.ribbit.collector.blast;
