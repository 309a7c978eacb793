// expect: 3:10: error: expected ';' after the assignment
action a(inout bit<8> x) {
    x = 1
}
