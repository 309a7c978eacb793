// expect: 3:5: error: statement is neither an assignment nor a call
action a(inout bit<8> x) {
    x;
}
