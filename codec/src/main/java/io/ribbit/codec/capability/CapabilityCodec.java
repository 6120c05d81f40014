package io.ribbit.codec.capability;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.nlri.AfiSafi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes capabilities (RFC 5492 §4: code, length, value). A capability we know whose
 * value has the wrong shape is a malformed optional parameter: OPEN Message Error, subcode 0
 * (RFC 4271 §6.2). Unknown codes are kept raw (RFC 5492 §4: ignore what you don't understand).
 */
public final class CapabilityCodec {
    private CapabilityCodec() {
    }

    /** Decodes the capabilities in one Capabilities optional parameter value. */
    public static void decodeAll(ByteBuf in, int off, int len, List<Capability> out) {
        int end = off + len;
        int idx = off;
        while (idx < end) {
            if (end - idx < 2) {
                throw malformed("capability header overruns its optional parameter");
            }
            int code = in.getUnsignedByte(idx);
            int clen = in.getUnsignedByte(idx + 1);
            if (idx + 2 + clen > end) {
                throw malformed("capability " + code + " length " + clen + " overruns its optional parameter");
            }
            out.add(decode(in, code, idx + 2, clen));
            idx += 2 + clen;
        }
    }

    static Capability decode(ByteBuf in, int code, int off, int len) {
        switch (code) {
            case Capability.MULTIPROTOCOL:
                expect(code, len, 4);
                return new Capability.Multiprotocol(AfiSafi.of(in.getUnsignedShort(off), in.getUnsignedByte(off + 3)));
            case Capability.ROUTE_REFRESH:
            case Capability.ROUTE_REFRESH_CISCO:
                expect(code, len, 0);
                return new Capability.RouteRefresh(code);
            case Capability.EXTENDED_NEXT_HOP: {
                multiple(code, len, 6);
                List<Capability.ExtendedNextHop.Entry> e = new ArrayList<>();
                for (int i = off; i < off + len; i += 6) {
                    e.add(new Capability.ExtendedNextHop.Entry(
                            AfiSafi.of(in.getUnsignedShort(i), in.getUnsignedShort(i + 2)), in.getUnsignedShort(i + 4)));
                }
                return new Capability.ExtendedNextHop(e);
            }
            case Capability.EXTENDED_MESSAGE:
                expect(code, len, 0);
                return new Capability.ExtendedMessage();
            case Capability.BGP_ROLE:
                expect(code, len, 1);
                return new Capability.BgpRole(in.getUnsignedByte(off));
            case Capability.GRACEFUL_RESTART: {
                if (len < 2 || (len - 2) % 4 != 0) {
                    throw malformed("graceful restart capability length " + len);
                }
                int word = in.getUnsignedShort(off);
                List<Capability.GracefulRestart.Family> f = new ArrayList<>();
                for (int i = off + 2; i < off + len; i += 4) {
                    f.add(new Capability.GracefulRestart.Family(
                            AfiSafi.of(in.getUnsignedShort(i), in.getUnsignedByte(i + 2)), in.getUnsignedByte(i + 3)));
                }
                return new Capability.GracefulRestart(word >>> 12, word & 0xfff, f);
            }
            case Capability.FOUR_OCTET_AS:
                expect(code, len, 4);
                return new Capability.FourOctetAs(in.getUnsignedInt(off));
            case Capability.ADD_PATH: {
                multiple(code, len, 4);
                List<Capability.AddPath.Family> f = new ArrayList<>();
                for (int i = off; i < off + len; i += 4) {
                    f.add(new Capability.AddPath.Family(AfiSafi.of(in.getUnsignedShort(i), in.getUnsignedByte(i + 2)),
                            in.getUnsignedByte(i + 3)));
                }
                return new Capability.AddPath(f);
            }
            case Capability.ENHANCED_ROUTE_REFRESH:
                expect(code, len, 0);
                return new Capability.EnhancedRouteRefresh();
            case Capability.LONG_LIVED_GRACEFUL_RESTART: {
                // RFC 9494: a list of 7-octet <AFI, SAFI, Flags, Stale Time> tuples, which may be
                // empty: BIRD advertises LLGR awareness without families that way (the OPENs in
                // the BIRD and Quagga MRT samples), and GoBGP accepts it.
                if (len % 7 != 0) {
                    throw malformed("capability " + code + " length " + len + " is not a multiple of 7");
                }
                List<Capability.LongLivedGracefulRestart.Family> f = new ArrayList<>();
                for (int i = off; i < off + len; i += 7) {
                    f.add(new Capability.LongLivedGracefulRestart.Family(
                            AfiSafi.of(in.getUnsignedShort(i), in.getUnsignedByte(i + 2)), in.getUnsignedByte(i + 3),
                            in.getUnsignedMedium(i + 4)));
                }
                return new Capability.LongLivedGracefulRestart(f);
            }
            case Capability.FQDN: {
                if (len < 2) {
                    throw malformed("FQDN capability length " + len);
                }
                int hl = in.getUnsignedByte(off);
                if (1 + hl + 1 > len) {
                    throw malformed("FQDN hostname overruns the capability");
                }
                int dl = in.getUnsignedByte(off + 1 + hl);
                if (2 + hl + dl > len) {
                    throw malformed("FQDN domain overruns the capability");
                }
                return new Capability.Fqdn(in.toString(off + 1, hl, StandardCharsets.UTF_8),
                        in.toString(off + 2 + hl, dl, StandardCharsets.UTF_8));
            }
            case Capability.SOFTWARE_VERSION: {
                if (len < 1 || in.getUnsignedByte(off) > len - 1) {
                    throw malformed("software version capability length " + len);
                }
                return new Capability.SoftwareVersion(in.toString(off + 1, in.getUnsignedByte(off), StandardCharsets.UTF_8));
            }
            default: {
                byte[] v = new byte[len];
                in.getBytes(off, v);
                return new Capability.Unknown(code, v);
            }
        }
    }

    private static void expect(int code, int len, int want) {
        if (len != want) {
            throw malformed("capability " + code + " length " + len + ", expected " + want);
        }
    }

    private static void multiple(int code, int len, int unit) {
        if (len == 0 || len % unit != 0) {
            throw malformed("capability " + code + " length " + len + " is not a non-zero multiple of " + unit);
        }
    }

    private static BgpDecodeException malformed(String detail) {
        return new BgpDecodeException(BgpError.OPEN_MESSAGE_ERROR, null, detail + " (RFC 4271 §6.2)");
    }

    /** Writes one capability: code, length, value. */
    public static void encode(Capability c, ByteBuf out) {
        out.writeByte(c.code());
        int lenIdx = out.writerIndex();
        out.writeByte(0);
        int start = out.writerIndex();
        if (c instanceof Capability.Multiprotocol m) {
            out.writeShort(m.family().afi()).writeByte(0).writeByte(m.family().safi());
        } else if (c instanceof Capability.ExtendedNextHop e) {
            for (Capability.ExtendedNextHop.Entry x : e.entries()) {
                out.writeShort(x.family().afi()).writeShort(x.family().safi()).writeShort(x.nextHopAfi());
            }
        } else if (c instanceof Capability.BgpRole r) {
            out.writeByte(r.role());
        } else if (c instanceof Capability.GracefulRestart g) {
            out.writeShort(g.flags() << 12 | g.restartTime() & 0xfff);
            for (Capability.GracefulRestart.Family f : g.families()) {
                out.writeShort(f.family().afi()).writeByte(f.family().safi()).writeByte(f.flags());
            }
        } else if (c instanceof Capability.FourOctetAs a) {
            out.writeInt((int) a.asn());
        } else if (c instanceof Capability.AddPath a) {
            for (Capability.AddPath.Family f : a.families()) {
                out.writeShort(f.family().afi()).writeByte(f.family().safi()).writeByte(f.sendReceive());
            }
        } else if (c instanceof Capability.LongLivedGracefulRestart l) {
            for (Capability.LongLivedGracefulRestart.Family f : l.families()) {
                out.writeShort(f.family().afi()).writeByte(f.family().safi()).writeByte(f.flags())
                        .writeMedium(f.staleTime());
            }
        } else if (c instanceof Capability.Fqdn f) {
            byte[] h = f.hostname().getBytes(StandardCharsets.UTF_8);
            byte[] d = f.domain().getBytes(StandardCharsets.UTF_8);
            out.writeByte(h.length).writeBytes(h).writeByte(d.length).writeBytes(d);
        } else if (c instanceof Capability.SoftwareVersion v) {
            byte[] s = v.version().getBytes(StandardCharsets.UTF_8);
            out.writeByte(s.length).writeBytes(s);
        } else if (c instanceof Capability.Unknown u) {
            out.writeBytes(u.value());
        }
        // RouteRefresh, ExtendedMessage, EnhancedRouteRefresh: empty value
        out.setByte(lenIdx, out.writerIndex() - start);
    }
}
