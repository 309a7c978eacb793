// expect-full: renamed.p4:100:18: error: expected an expression before ';'
#line 100 "renamed.p4"
const bit<8> X = ;
