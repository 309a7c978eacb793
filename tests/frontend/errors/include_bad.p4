// expect-full: inc_bad.inc:2:23: error: expected an expression before ';'
#include "inc_bad.inc"
