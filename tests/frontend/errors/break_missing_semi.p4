// expect: 3:28: error: expected ';' after 'break'
action a(inout bit<8> x) {
    for (; x < 4; ) { break }
}
