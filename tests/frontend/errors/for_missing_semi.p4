// expect: 3:15: error: expected ';' after the initialization of a for loop
action a(inout bit<8> x) {
    for (x = 0 x < 4; x = x + 1) { }
}
