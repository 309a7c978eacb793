// expect: 2:19: error: expected a parameter name before ')'
action a(in bit<8>) { }
