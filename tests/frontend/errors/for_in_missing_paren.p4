// expect: 3:28: error: expected ')' after the collection of a for loop
action a(inout bit<8> x) {
    for (bit<8> i in 1 .. 4 { x = i; }
}
