// expect: 3:7: error: expected '=' or '(' before '+'
action a(inout bit<8> x) {
    x + 1;
}
