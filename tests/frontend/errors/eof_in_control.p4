// expect: 3:11: error: unterminated block: missing '}' for this '{'
control C() {
    apply {
        exit;
