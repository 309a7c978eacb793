/* preproc.p4 - the preprocessor: macros, conditionals, includes (-I inc). */
#define CORE_FILE <core.p4>
#define ONCE_FILE "inc/once.p4"
#include <core.p4>
#include CORE_FILE
#include ONCE_FILE
#include "inc/once.p4"
#include "inc/once.p4"
#include <guarded.p4>
#include "inc/guarded.p4"

#define A 1
#define B (A + 1)
#define SQUARE(x) ((x) * (x))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define NAME(p, s) p##_##s
#define QUOTE(x) #x
#define EMPTY
#define NOARGS() 7
#define LONG_MACRO(a) \
    (a + \
     a)

const bit<8> NAME(my, const) = SQUARE(B) + MAX(A, 3) + NOARGS() EMPTY;
const bit<8> LONG = LONG_MACRO(2);
const string Q = QUOTE(a "quoted" string);

#undef A
#ifdef A
#error A was undefined
#endif

#if !defined A && defined(B) && B == 0
#error B expands to (A + 1) and A is 0 now: B == 1, so this is not taken
#elif SQUARE(3) == 9 && MAX(2, 5) == 5 && (1 << 4) == 16 && (64 >> 2) == 16
const bit<8> ELIF = 1;
#else
#error elif should be taken
#endif

#if 0
this is not P4 at all $ @ "unterminated
#if 1
#error nested in a skipped group
#endif
#elif 0
#error no
#endif

#ifndef FROM_COMMAND_LINE
#error -e FROM_COMMAND_LINE=5 is passed by the test
#endif
#if FROM_COMMAND_LINE != 5
#error FROM_COMMAND_LINE has the wrong value
#endif

#if 10 % 3 == 1 && -1 < 0 && ~0 == -1 && (2 | 1) == 3 && (6 & 3) == 2 && (6 ^ 3) == 5
const bit<8> ARITH = 1;
#endif

#line 500 "elsewhere.p4"
const bit<8> AFTER_LINE = 1;
