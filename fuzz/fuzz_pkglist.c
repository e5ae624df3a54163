/*
 * fuzz_pkglist: the dpkg and rpm package-list readers and their sniffers on any bytes.
 * Invariants: no crash, no leak, no read past the input; the loss rule holds (every
 * record and rejection the reader counts reached the sink, and nothing else did);
 * LF_EFORMAT delivers nothing; records carry a name and a line, in file order.
 */
#include <stdint.h>
#include <stdlib.h>

#include "intake/pkglist.h"
#include "reader_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = lf_fuzz_copy(data, size);
    if (!text)
        return 0;
    lf_fuzz_check_sniff(lf_pkglist_dpkg_sniff(text, size));
    lf_fuzz_check_sniff(lf_pkglist_rpm_sniff(text, size));
    lf_fuzz_check_reader(lf_pkglist_dpkg_read, text, size);
    lf_fuzz_check_reader(lf_pkglist_rpm_read, text, size);
    free(text);
    return 0;
}
