// expect: 2:1: error: a parser state must be declared inside a parser
state start { transition accept; }
