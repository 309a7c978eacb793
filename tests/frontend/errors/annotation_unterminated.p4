// expect: 2:6: error: unterminated annotation body: missing ')'
@name("x"
action a() { }
