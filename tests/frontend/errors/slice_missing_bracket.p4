// expect: 3:10: error: expected ']' after the index
action a(inout bit<8> x) {
    x[3:0 = 1;
}
