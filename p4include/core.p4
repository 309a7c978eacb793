/* core.p4 - the P4_16 core library, as p4lab bundles it.
 *
 * Written for p4lab from the P4_16 language specification (v1.2.x, "P4 core
 * library"): the standard errors, the packet_in / packet_out externs that
 * parsers and deparsers use, verify(), NoAction and the three standard match
 * kinds.  The names and signatures are the standard ones, so programs
 * written for other compilers work unchanged.  Embedded in the compiler at
 * build time; `#include <core.p4>` finds it unless an -I folder has its own. */
#ifndef _CORE_P4_
#define _CORE_P4_

/* Errors a parser can signal; programs may add their own with more
 * `error { ... }` declarations. */
error {
    NoError,               /* the default: nothing went wrong */
    PacketTooShort,        /* extract or lookahead ran past the packet's end */
    NoMatch,               /* a select had no matching case */
    StackOutOfBounds,      /* a header stack was indexed out of its size */
    HeaderTooShort,        /* a varbit field was extracted with a size too big */
    ParserTimeout,         /* the parser did not finish in time */
    ParserInvalidArgument  /* a parser operation got an unsupported argument */
}

/* The packet being parsed; only parsers receive one. */
extern packet_in {
    /* Copies the next bytes of the packet into a fixed-size header and
     * makes it valid. */
    void extract<T>(out T hdr);
    /* The same for a header with one varbit field, whose size is given. */
    void extract<T>(out T variableSizeHeader, in bit<32> variableFieldSizeInBits);
    /* Reads the next bits without consuming them. */
    T lookahead<T>();
    /* Skips bits of the packet. */
    void advance(in bit<32> sizeInBits);
    /* Length of the whole packet, in bytes. */
    bit<32> length();
}

/* The packet being built; only deparsers receive one. */
extern packet_out {
    /* Appends a header (if valid), or every valid header of a struct,
     * stack or union, in order. */
    void emit<T>(in T hdr);
}

/* Ends parsing with toSignal when check is false. */
extern void verify(in bool check, in error toSignal);

/* Compile-time checks (spec v1.2.3 and later). */
extern bool static_assert(bool check, string message);
extern bool static_assert(bool check);

/* The action that does nothing: the usual default action of a table. */
@noWarn("unused")
action NoAction() { }

/* The match kinds every target supports. */
match_kind {
    exact,    /* the key equals the entry's value */
    ternary,  /* the key equals the value under the entry's mask */
    lpm       /* longest prefix match */
}

#endif
