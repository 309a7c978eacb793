#ifndef GUARDED_P4
#define GUARDED_P4
const bit<8> GUARDED = 2;
#endif
