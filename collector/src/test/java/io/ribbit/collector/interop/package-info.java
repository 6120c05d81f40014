/**
 * Interoperability test harness: real BGP daemons from Debian's packages, each run as a child
 * process with a private temporary directory, peering over loopback with Ribbit (or, in
 * {@link io.ribbit.collector.interop.DaemonHarnessTest}, with each other).
 *
 * <table>
 *   <caption>The daemons</caption>
 *   <tr><th>Class</th><th>Package</th><th>Runs as</th><th>Routes in/out</th><th>Shutdown Communication received</th></tr>
 *   <tr><td>{@link io.ribbit.collector.interop.Bird}</td><td>bird2</td>
 *       <td>{@code bird -f -c DIR/bird.conf -s DIR/bird.ctl -P DIR/bird.pid}</td>
 *       <td>static routes in included files + {@code birdc configure}</td>
 *       <td>{@code show protocols all} "Message:", or the {@code <RMT>} log line</td></tr>
 *   <tr><td>{@link io.ribbit.collector.interop.Frr}</td><td>frr</td>
 *       <td>{@code /usr/lib/frr/bgpd -f DIR/bgpd.conf -i DIR/bgpd.pid --vty_socket DIR -P 0 -p PORT -l ADDR -Z -S}</td>
 *       <td>{@code network} + route-map through {@code vtysh}</td>
 *       <td>{@code show bgp neighbors X json} {@code lastShutdownDescription}</td></tr>
 *   <tr><td>{@link io.ribbit.collector.interop.GoBgp}</td><td>gobgpd</td>
 *       <td>{@code gobgpd -f DIR/gobgpd.toml -t toml -p --api-hosts unix://DIR/gobgp.sock --pprof-disable}</td>
 *       <td>{@code gobgp global rib add|del}</td>
 *       <td>log: {@code received notification ... Communicated-Reason="..."}</td></tr>
 *   <tr><td>{@link io.ribbit.collector.interop.OpenBgpd}</td><td>openbgpd</td>
 *       <td>{@code /usr/sbin/bgpd -d -v -f DIR/bgpd.conf} (root; chroot {@code /run/openbgpd})</td>
 *       <td>{@code bgpctl network mrt file} + outbound {@code match} rules, {@code bgpctl network delete}</td>
 *       <td>{@code bgpctl show neighbor X} "Last received shutdown reason"</td></tr>
 *   <tr><td>{@link io.ribbit.collector.interop.ExaBgp}</td><td>exabgp</td>
 *       <td>{@code exabgp DIR/exabgp.conf} with {@code exabgp.*} environment variables</td>
 *       <td>API helper process fed from {@code DIR/commands}</td>
 *       <td>raw NOTIFICATION bytes from the API ({@code receive { packets; notification; }})</td></tr>
 * </table>
 *
 * <p>Machine set-up (CI, see .ci/run): the five packages, run as root, the {@code _openbgpd} user
 * (created by the openbgpd package) and its home {@code /run/openbgpd} (created by systemd for the
 * packaged service, so by hand in a container). {@code RIBBIT_REQUIRE_DAEMONS=1} makes a missing
 * daemon fail its tests instead of skipping them.
 */
package io.ribbit.collector.interop;
