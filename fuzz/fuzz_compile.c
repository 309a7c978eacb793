/* fuzz_compile.c - libFuzzer harness of p4lab's compiler: each input is a
 * P4_16 program, compiled in memory from the preprocessor to the BMv2 JSON
 * and P4Info writers.  Diagnostics are counted, not printed.  Any crash,
 * sanitizer report or leak is a finding.  Built and run by fuzz/run.sh. */
#include <stddef.h>
#include <stdint.h>

#include "p4c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct p4c_output out;
	p4c_compile_source("fuzz.p4", (const char *)data, size, NULL, &out, NULL);
	p4c_output_free(&out);
	return 0;
}
