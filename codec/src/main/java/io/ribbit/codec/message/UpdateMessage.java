package io.ribbit.codec.message;

import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.error.UpdateProblem;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.nlri.RawNlri;
import java.util.List;

/**
 * UPDATE (RFC 4271 §4.3): IPv4 unicast withdrawn routes, path attributes (with MP_REACH_NLRI /
 * MP_UNREACH_NLRI for other families, RFC 4760), and IPv4 unicast NLRI.
 *
 * <p>{@link #action()} is the strongest RFC 7606 action its problems call for (never
 * SESSION_RESET: that becomes a {@link MalformedMessage}). Carrying out treat-as-withdraw is the
 * receiver's job: every prefix this UPDATE announces is then withdrawn instead.
 */
public final class UpdateMessage implements BgpMessage {
    private final PrefixList withdrawn;
    private final PathAttributes attributes;
    private final PrefixList nlri;
    private final ErrorAction action;
    private final List<UpdateProblem> problems;

    public UpdateMessage(PrefixList withdrawn, PathAttributes attributes, PrefixList nlri, ErrorAction action,
            List<UpdateProblem> problems) {
        this.withdrawn = withdrawn;
        this.attributes = attributes;
        this.nlri = nlri;
        this.action = action;
        this.problems = problems;
    }

    /** A well-formed UPDATE to send. */
    public static UpdateMessage of(PrefixList withdrawn, PathAttributes attributes, PrefixList nlri) {
        return new UpdateMessage(withdrawn, attributes, nlri, ErrorAction.NONE, List.of());
    }

    /** The End-of-RIB marker for a family (RFC 4724 §2). */
    public static UpdateMessage endOfRib(AfiSafi family) {
        PrefixList none = PrefixList.empty(AfiSafi.IPV4_UNICAST);
        if (family.equals(AfiSafi.IPV4_UNICAST)) {
            return of(none, PathAttributes.EMPTY, none);
        }
        // The empty NLRI has the form the decoder gives the family: prefixes, or raw bytes.
        Nlri empty = family.hasPrefixNlri() ? PrefixList.empty(family) : new RawNlri(family, new byte[0]);
        return of(none, PathAttributes.of(new MpUnreachNlri(family, empty)), none);
    }

    @Override
    public MessageType type() {
        return MessageType.UPDATE;
    }

    /** IPv4 unicast Withdrawn Routes. */
    public PrefixList withdrawn() {
        return withdrawn;
    }

    public PathAttributes attributes() {
        return attributes;
    }

    /** IPv4 unicast NLRI. */
    public PrefixList nlri() {
        return nlri;
    }

    public MpReachNlri mpReach() {
        return attributes.mpReach();
    }

    public MpUnreachNlri mpUnreach() {
        return attributes.mpUnreach();
    }

    public ErrorAction action() {
        return action;
    }

    public boolean treatAsWithdraw() {
        return action == ErrorAction.TREAT_AS_WITHDRAW;
    }

    public List<UpdateProblem> problems() {
        return problems;
    }

    /**
     * The family this UPDATE is the End-of-RIB marker of (RFC 4724 §2), or null: for IPv4 unicast
     * an UPDATE with nothing in it; otherwise one whose only attribute is an empty MP_UNREACH_NLRI.
     */
    public AfiSafi endOfRib() {
        if (!withdrawn.isEmpty() || !nlri.isEmpty()) {
            return null;
        }
        if (attributes.isEmpty()) {
            return AfiSafi.IPV4_UNICAST;
        }
        if (attributes.size() == 1) {
            PathAttribute a = attributes.get(0);
            if (a.code() == AttributeCode.MP_UNREACH_NLRI && ((MpUnreachNlri) a).nlri().isEmpty()) {
                return ((MpUnreachNlri) a).afiSafi();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpdateMessage u && u.withdrawn.equals(withdrawn) && u.attributes.equals(attributes)
                && u.nlri.equals(nlri) && u.action == action;
    }

    @Override
    public int hashCode() {
        return (withdrawn.hashCode() * 31 + attributes.hashCode()) * 31 + nlri.hashCode();
    }

    @Override
    public String toString() {
        AfiSafi eor = endOfRib();
        if (eor != null) {
            return "UPDATE End-of-RIB " + eor;
        }
        return "UPDATE withdrawn " + withdrawn + " " + attributes + " nlri " + nlri
                + (action != ErrorAction.NONE ? " " + action + " " + problems : "");
    }
}
