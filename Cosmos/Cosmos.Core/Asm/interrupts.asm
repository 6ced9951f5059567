; Interrupt entry: 256 stubs that push a uniform frame (vector, error code, all general
; registers, the SSE state) and call the managed dispatcher with a pointer to it.
; The frame layout is Cosmos.Core.InterruptFrame; keep the two in step.
bits 64
default rel

extern __cosmos_interrupt
extern RhpNewFast, cosmos_new_fast_commit, cosmos_new_array_restart, cosmos_new_array_fast_commit, cosmos_heap_fast

FRAME_VECTOR equ 15 * 8
FRAME_RIP    equ 17 * 8

; An interrupt that arrives inside one of Asm/allocation.asm's restartable sequences, from its first
; instruction up to and including its commit store, sends the thread back to the sequence's start: the
; sequence has then taken nothing, and it reloads the window it may have lost to whatever ran meanwhile.
%macro cosmos_alloc_restart 2
    mov rax, [rbx + FRAME_RIP]
    lea rcx, [%1]
    lea rdx, [%2]
    cmp rax, rcx
    jb %%outside
    cmp rax, rdx
    ja %%outside
    mov [rbx + FRAME_RIP], rcx
    inc qword [cosmos_heap_fast + 16]   ; GcHeap.AllocationRestarts
%%outside:
%endmacro

section .text

%macro STUB_NOERR 1
isr_stub_%1:
    push 0
    push %1
    jmp isr_common
%endmacro
%macro STUB_ERR 1
isr_stub_%1:
    push %1
    jmp isr_common
%endmacro

; Vectors 8, 10-14, 17, 21, 29, 30 push an error code (Intel SDM vol. 3 §6.3.1).
%assign v 0
%rep 256
  %if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    STUB_ERR v
  %else
    STUB_NOERR v
  %endif
  %assign v v+1
%endrep

isr_common:
    push rax
    push rcx
    push rdx
    push rbx
    push rbp
    push rsi
    push rdi
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rbx, rsp                    ; rbx = InterruptFrame*; 16-byte aligned here
    cmp qword [rbx + FRAME_VECTOR], 32
    jb .not_allocating              ; exceptions keep their faulting address
    cosmos_alloc_restart RhpNewFast, cosmos_new_fast_commit
    cosmos_alloc_restart cosmos_new_array_restart, cosmos_new_array_fast_commit
.not_allocating:
    sub rsp, 512
    fxsave [rsp]
    mov rdi, rbx
    cld
    call __cosmos_interrupt
    fxrstor [rsp]
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rdi
    pop rsi
    pop rbp
    pop rbx
    pop rdx
    pop rcx
    pop rax
    add rsp, 16                     ; vector and error code
    iretq

section .rodata
align 8
global cosmos_isr_stub_table
cosmos_isr_stub_table:
%assign v 0
%rep 256
    dq isr_stub_ %+ v
  %assign v v+1
%endrep

section .bss
alignb 4096
idt_table:          resb 256 * 16
tss:                resb 104
alignb 16
double_fault_stack: resb 16 * 1024
double_fault_stack_top:

section .text
extern gdt64
; (byte** tss, byte** doubleFaultStackTop, ulong** gdt, ulong** stubTable) -> idt
global cosmos_idt_storage
cosmos_idt_storage:
    lea rax, [tss]
    mov [rdi], rax
    lea rax, [double_fault_stack_top]
    mov [rsi], rax
    lea rax, [gdt64]
    mov [rdx], rax
    lea rax, [cosmos_isr_stub_table]
    mov [rcx], rax
    lea rax, [idt_table]
    ret
