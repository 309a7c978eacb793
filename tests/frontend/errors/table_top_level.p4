// expect: 2:1: error: a table must be declared inside a control
table t { key = { } }
