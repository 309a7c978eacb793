// expect: 2:21: error: expected ';' after the package declaration
package P<H>(in H h)
const bit<8> X = 1;
