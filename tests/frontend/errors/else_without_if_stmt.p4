// expect: 3:5: error: expected an expression before 'else'
action a(inout bit<8> x) {
    else { x = 1; }
}
