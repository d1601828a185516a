/* Test support only: Wine 8 has no bcryptprimitives.dll!ProcessPrng, which the Rust
 * standard library (1.78 and later) calls for random numbers on Windows. Windows 10 and
 * 11 have the real one; this stand-in is copied into a Wine prefix for the tests that run
 * the Windows build under Wine. It fills the buffer from RtlGenRandom (SystemFunction036). */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
