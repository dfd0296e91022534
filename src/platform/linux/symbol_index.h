/* A module's function symbols sorted by address, for naming many frames in one module:
 * libdwfl's dwfl_module_addrinfo walks the whole symbol table on every lookup (libjvm.so has
 * tens of thousands of symbols and a JVM's threads hundreds of distinct return addresses).
 * Pure: the entries come from the caller (symbols.c reads them through libdwfl). */
#ifndef THREADLENS_SYMBOL_INDEX_H
#define THREADLENS_SYMBOL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct symbol_entry {
    uint64_t start, end;          /* [start, end): a symbol with a size */
    const char *name;             /* owned by whoever filled the index (libdwfl) */
    uint32_t order;               /* when added: the earlier wins a tie (the symbol table's order) */
    int binding;                  /* higher is preferred at the same start: global 3, weak 2, local 1 */
} symbol_entry;                   /* 32 bytes: libc's 6800 functions are 53 pages, sorted twice that */

typedef struct symbol_index {
    symbol_entry *e;
    size_t n, cap;
} symbol_index;

/* Room for n entries at once (the symbol table's size: no regrowth copies); false when out of
 * memory, which only means adds will grow it. */
bool symbol_index_reserve(symbol_index *ix, size_t n);
/* Appends one entry; false when out of memory. Empty ranges are ignored. */
bool symbol_index_add(symbol_index *ix, uint64_t start, uint64_t size, const char *name, int binding);
/* Sorts the entries; call once after the last add. */
void symbol_index_sort(symbol_index *ix);
/* The entry whose range holds addr: the one with the highest start (symbols nest: a local
 * label inside a function), then the best binding, then the narrowest range, then the first
 * added (aliases: libc's __clone3 before __GI___clone3, as libdwfl chooses); NULL if none. */
const symbol_entry *symbol_index_find(const symbol_index *ix, uint64_t addr);
void symbol_index_free(symbol_index *ix);
/* Whether a, holding an address that b holds too, is the one symbol_index_find would choose:
 * the higher start, then the better binding, the narrower range, the first added. For naming a
 * few addresses in one pass without building an index (symbols.c's batch). */
bool symbol_entry_preferred(const symbol_entry *a, const symbol_entry *b);

#endif
