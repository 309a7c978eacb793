// expect: 2:10: error: cannot find include file 'no_such_file.p4'
#include "no_such_file.p4"
