// expect: 2:12: error: unterminated block: missing '}' for this '{'
action a() {
    if (true) {
        exit;
    }
