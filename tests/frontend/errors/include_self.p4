// expect: 2:2: error: #include nested too deeply (more than 64 levels)
#include "include_self.p4"
