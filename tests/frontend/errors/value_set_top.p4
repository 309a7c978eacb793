// expect: 2:1: error: a value_set must be declared inside a parser
value_set<bit<8>>(4) vs;
