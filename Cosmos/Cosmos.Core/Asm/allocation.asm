; The allocation fast paths for objects, arrays and strings of up to 256 bytes: a slot from the size
; class's allocation window (GcHeap.Windows.cs: the free slots of one bitmap word, already zeroed and
; marked allocated), taken by clearing the window's lowest free bit.
;
; No interrupts are turned off. Each path is a restartable sequence instead: everything before its
; commit (the one store that takes the slot) only reads shared state or writes into the slot it has
; not taken yet, and the interrupt entry (Asm/interrupts.asm, cosmos_alloc_restart) sends a thread that
; was interrupted anywhere from the first load to the commit back to the start of the sequence, so a
; preemption or an interrupt handler that allocates from the same window cannot hand one slot out twice.
; The sequences must not write rdi, rsi or r11, which the restart reuses, and may write into the untaken
; slot only the MethodTable word, which whoever takes the slot writes anyway.
;
; Everything else (no free slot in the window, larger objects, the heap not up yet) goes to the C#
; allocator (Cosmos.Core.Runtime.Allocation). The heap publishes its tables in cosmos_heap_fast
; (Cosmos.Core.Memory.GcHeap.PublishFastPath); keep AllocationWindow's layout in step with W_*.
bits 64
default rel

extern cosmos_new_slow
extern cosmos_new_array_slow
extern cosmos_new_string_slow

FAST_CLASSES      equ 0                     ; (bytes + 7) / 8 -> size class; 0 until the heap is up
FAST_WINDOWS      equ 8                     ; AllocationWindow[size classes]
                                            ; + 16: restarts (Asm/interrupts.asm counts them)
MAX_FAST_BYTES    equ 256
WINDOW_SHIFT      equ 5                     ; sizeof(AllocationWindow) = 32
W_FREEBITS        equ 0
W_SLOTZERO        equ 8
W_STRIDE          equ 16

section .bss
alignb 64
global cosmos_heap_fast
cosmos_heap_fast: resq 3

section .text

; rax = the window of a size of %2 bytes (at most MAX_FAST_BYTES); jumps to %1 when the heap is not up.
%macro WINDOW_FOR_SIZE 2
    mov r9, [cosmos_heap_fast + FAST_CLASSES]
    test r9, r9
    jz %1
    lea eax, [%2 + 7]
    shr eax, 3
    movzx eax, byte [r9 + rax]
    shl eax, WINDOW_SHIFT
    add rax, [cosmos_heap_fast + FAST_WINDOWS]
%endmacro

; rdx = the window's lowest free slot, r8 = the window's free bits without it; jumps to %1 when empty.
%macro PICK_SLOT 1
    mov rcx, [rax + W_FREEBITS]
    test rcx, rcx
    jz %1
    bsf rdx, rcx
    mov r8d, [rax + W_STRIDE]
    imul rdx, r8
    add rdx, [rax + W_SLOTZERO]
    lea r8, [rcx - 1]
    and r8, rcx
%endmacro

; object RhpNewFast(MethodTable* rdi)
global RhpNewFast
RhpNewFast:
    mov r10d, [rdi + 4]                     ; BaseSize, header word included
    cmp r10d, MAX_FAST_BYTES
    ja new_object_slow
    WINDOW_FOR_SIZE new_object_slow, r10
    PICK_SLOT new_object_slow
    mov [rdx + 8], rdi                      ; the MethodTable, after the header word
global cosmos_new_fast_commit
cosmos_new_fast_commit:
    mov [rax + W_FREEBITS], r8              ; commit: the slot is taken
    lea rax, [rdx + 8]
    ret
new_object_slow:
    jmp cosmos_new_slow

; object RhpNewArrayFast(MethodTable* rdi, int length), RhpNewPtrArrayFast likewise: the length sign-extended
; (the upper half of rsi is not part of an int argument), then the shared path.
global RhpNewArrayFast
global RhpNewPtrArrayFast
RhpNewArrayFast:
RhpNewPtrArrayFast:
    movsxd rsi, esi
    jmp cosmos_new_array_fast

; string RhNewString(MethodTable* rdi, nint length)
global RhNewString
RhNewString:
    lea r11, [cosmos_new_string_slow]
    jmp cosmos_new_array_restart

; rdi = MethodTable (with a component size), rsi = length (64-bit); the slow path to take in r11, which the
; sequence (from cosmos_new_array_restart) does not write either.
cosmos_new_array_fast:
    lea r11, [cosmos_new_array_slow]
global cosmos_new_array_restart
cosmos_new_array_restart:
    cmp rsi, MAX_FAST_BYTES                 ; unsigned: a negative length goes the slow way too
    ja new_array_slow
    movzx r10d, word [rdi]                  ; the component size: the low half of the flags
    imul r10d, esi
    add r10d, [rdi + 4]                     ; + BaseSize
    cmp r10d, MAX_FAST_BYTES
    ja new_array_slow
    WINDOW_FOR_SIZE new_array_slow, r10
    PICK_SLOT new_array_slow
    mov [rdx + 8], rdi
global cosmos_new_array_fast_commit
cosmos_new_array_fast_commit:
    mov [rax + W_FREEBITS], r8
    ; The length only once the slot is ours: a slot left behind by a restart may become any other object,
    ; whose first field must be zero. (A collection meeting the array before this store sees length 0.)
    mov [rdx + 16], esi
    lea rax, [rdx + 8]
    ret
new_array_slow:
    jmp r11

global cosmos_heap_fast_table
cosmos_heap_fast_table:
    lea rax, [cosmos_heap_fast]
    ret
