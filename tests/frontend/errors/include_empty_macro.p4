// expect: 3:2: error: #include expects "FILE" or <FILE>
#define NOTHING
#include NOTHING
