/*
 * The i386 runner for ../shared/nanoclr32, for a copy of that folder without its bin/ (the
 * interpreter library lib/nanoFramework.nanoCLR.so is there, the small program that feeds it is not).
 * It does what nanoclr/bin/nanoFramework.nanoCLR.test does for the 64-bit build: load each .pe named
 * on the command line (mscorlib first), run the interpreter, print "NF_COUNT il_instructions=N" on
 * stderr when NF_COUNT=1, and exit with the interpreter's exit code (0 ok, 2 resolve failure,
 * 3 unhandled exception such as OutOfMemoryException). bench/NanoHeap builds it with gcc -m32 into
 * a folder that links the rest of nanoclr32, so that its run-nf.sh works unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nanoCLR_Run's settings, passed by value: the first field is the context switches per time slice
   (50, as the 64-bit runner passes), the rest (debugger and GC flags) stay zero. 20 bytes. */
typedef struct
{
    uint16_t maxContextSwitches;
    uint8_t flags[18];
} ClrSettings;

extern int nanoCLR_LoadAssembly(const uint16_t *name, const uint8_t *data, size_t size);
extern void nanoCLR_Run(ClrSettings settings);
extern int nanoCLR_NF_GetExitCode(void);
extern unsigned long long nanoCLR_NF_GetIlCount(void);

static int load(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
    {
        fprintf(stderr, "error: cannot open '%s'\n", path);
        return 0;
    }

    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    uint8_t *data = malloc(size > 0 ? (size_t)size : 1);
    if (size <= 0 || fread(data, 1, (size_t)size, file) != (size_t)size)
    {
        fprintf(stderr, "error: failed to read '%s'\n", path);
        fclose(file);
        return 0;
    }

    fclose(file);
    /* The interpreter keeps the image: data is never freed. The name is UTF-16. */
    size_t length = strlen(path);
    uint16_t *name = calloc(length + 1, sizeof(uint16_t));
    for (size_t i = 0; i < length; i++)
    {
        name[i] = (uint8_t)path[i];
    }

    int hr = nanoCLR_LoadAssembly(name, data, (size_t)size);
    if (hr != 0)
    {
        fprintf(stderr, "error: failed to load '%s' (hr=0x%08x)\n", path, hr);
        return 0;
    }

    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2)
    {
        fprintf(stderr, "usage: %s FILE.pe ... (mscorlib.pe first)\n", argv[0]);
        return 1;
    }

    for (int i = 1; i < argc; i++)
    {
        if (!load(argv[i]))
        {
            return 1;
        }
    }

    ClrSettings settings;
    memset(&settings, 0, sizeof settings);
    settings.maxContextSwitches = 50;
    nanoCLR_Run(settings);
    fflush(stdout);
    const char *count = getenv("NF_COUNT");
    if (count != NULL && strcmp(count, "1") == 0)
    {
        fprintf(stderr, "NF_COUNT il_instructions=%llu\n", nanoCLR_NF_GetIlCount());
    }

    int exitCode = nanoCLR_NF_GetExitCode();
    fflush(NULL);
    _Exit(exitCode);
}
