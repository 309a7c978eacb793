// expect: 3:15: error: expected ')' after the condition
action a(inout bit<8> x) {
    if (x == 1 {
        x = 2;
    }
}
