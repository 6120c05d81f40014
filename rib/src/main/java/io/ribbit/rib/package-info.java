/**
 * Route tables: the per-peer Adj-RIB-In (single writer, lock-free readers), the Loc-RIB and
 * attribute interning. Built on the codec's packed prefix keys ({@link io.ribbit.codec.nlri.PrefixList}).
 */
package io.ribbit.rib;
