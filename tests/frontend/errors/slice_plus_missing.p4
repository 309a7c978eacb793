// expect: 3:12: error: expected an expression before ']'
action a(inout bit<16> x) {
    x[3 +: ] = 1;
}
