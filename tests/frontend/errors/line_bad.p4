// expect: 2:2: error: #line expects a positive line number
#line abc
