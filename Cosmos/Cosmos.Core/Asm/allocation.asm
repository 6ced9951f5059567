; The allocation fast path for small objects (RhpNewFast): a free slot of the first partial block of
; the object's size class, taken with interrupts off, the MethodTable written in the same step.
; Everything else (no partial block, a full one still listed, large or finalizable objects, the heap
; not up yet) goes to the C# allocator (Cosmos.Core.Runtime.Allocation, cosmos_new_slow).
; The heap publishes its tables in cosmos_heap_fast (Cosmos.Core.Memory.GcHeap.PublishFastPath);
; the block layout is GcHeap.SmallBlock's. Keep the two in step.
bits 64
default rel

extern cosmos_new_slow

FAST_START        equ 0
FAST_PARTIAL      equ 8
FAST_CLASSES      equ 16
FAST_MANAGED      equ 24
MAX_FAST_BYTES    equ 256
BLOCK_SHIFT       equ 16
SB_STRIDE         equ 0
SB_FREECOUNT      equ 8
SB_FREELIST       equ 16
SB_RECIPROCAL     equ 40
SB_ALLOCATED      equ 64
SMALL_HEADER_BYTES equ 64 + 2 * 512      ; GcHeap.SmallHeaderBytes (BitmapBytes = 512)

section .bss
alignb 64
global cosmos_heap_fast
cosmos_heap_fast: resq 4

section .text

; object RhpNewFast(MethodTable* rdi)
global RhpNewFast
RhpNewFast:
    mov esi, [rdi + 4]                      ; BaseSize, header word included
    cmp esi, MAX_FAST_BYTES
    ja .slow
    pushfq
    cli
    mov r8, [cosmos_heap_fast + FAST_PARTIAL]
    test r8, r8
    jz .slow_flags                          ; the heap is not up
    mov r9, [cosmos_heap_fast + FAST_CLASSES]
    lea eax, [rsi + 7]
    shr eax, 3
    movzx eax, byte [r9 + rax]              ; size class
    mov eax, [r8 + rax * 4]                 ; first partial block + 1
    test eax, eax
    jz .slow_flags
    dec eax
    shl rax, BLOCK_SHIFT
    add rax, [cosmos_heap_fast + FAST_START] ; the block's header
    mov rcx, [rax + SB_FREELIST]
    test rcx, rcx
    jz .slow_flags                          ; full: the C# path takes it off the list
    mov rdx, [rcx]
    mov [rax + SB_FREELIST], rdx
    dec dword [rax + SB_FREECOUNT]
    mov rdx, rcx                            ; slot = (offset * reciprocal) >> 32
    sub rdx, rax
    sub rdx, SMALL_HEADER_BYTES
    imul rdx, [rax + SB_RECIPROCAL]
    shr rdx, 32
    bts qword [rax + SB_ALLOCATED], rdx     ; the allocated bitmap (a bit string from the first word)
    mov edx, [rax + SB_STRIDE]
    mov r9, [cosmos_heap_fast + FAST_MANAGED]
    add [r9], rdx
    shr edx, 3
    mov r10, rcx
.zero:
    mov qword [r10], 0
    add r10, 8
    dec edx
    jnz .zero
    lea rax, [rcx + 8]                      ; the object: after its header word
    mov [rax], rdi
    popfq
    ret
.slow_flags:
    popfq
.slow:
    jmp cosmos_new_slow

global cosmos_heap_fast_table
cosmos_heap_fast_table:
    lea rax, [cosmos_heap_fast]
    ret
