; Interface dispatch: call sites do `lea r11, [cell]; call [r11]` with every argument register
; live. The stub looks the object's MethodTable up in the cell's cache (8 entries, installed by
; RhpUpdateDispatchCellCache); on a miss it calls CoreLib's resolver RhpCidResolve, which
; resolves the slot (default interface methods included) and fills the cache.
bits 64
default rel

extern RhpCidResolve

CACHE_ENTRIES   equ 0x20                    ; {MethodTable* type, void* target} x 8 from here

section .text
global cosmos_helpers_av_start, cosmos_helpers_av_end
cosmos_helpers_av_start:

global RhpInitialDynamicInterfaceDispatch, RhpInitialInterfaceDispatch
RhpInitialDynamicInterfaceDispatch:
RhpInitialInterfaceDispatch:
    mov rax, [rdi]                          ; the object's MethodTable; a null `this` faults here
    mov r10, [r11 + 8]
    test r10b, 3                            ; flags set: no cache installed yet
    jnz .slow
    cmp r10, 0x1000
    jb .slow
%assign i 0
%rep 8
    cmp rax, [r10 + CACHE_ENTRIES + i * 16]
    je .hit %+ i
  %assign i i+1
%endrep
    jmp .slow
%assign i 0
%rep 8
.hit %+ i:
    jmp [r10 + CACHE_ENTRIES + i * 16 + 8]
  %assign i i+1
%endrep

.slow:
    ; A TransitionBlock as RhpCidResolve reads it: `this` (rdi) at +0x10, then the other
    ; argument registers; the SSE argument registers are saved beside it.
    push rbp
    mov rbp, rsp
    sub rsp, 0xC0
    mov [rsp + 0x10], rdi
    mov [rsp + 0x18], rsi
    mov [rsp + 0x20], rdx
    mov [rsp + 0x28], rcx
    mov [rsp + 0x30], r8
    mov [rsp + 0x38], r9
    movdqu [rsp + 0x40], xmm0
    movdqu [rsp + 0x50], xmm1
    movdqu [rsp + 0x60], xmm2
    movdqu [rsp + 0x70], xmm3
    movdqu [rsp + 0x80], xmm4
    movdqu [rsp + 0x90], xmm5
    movdqu [rsp + 0xA0], xmm6
    movdqu [rsp + 0xB0], xmm7
    mov rdi, rsp
    mov rsi, r11
    call RhpCidResolve                      ; (transition block, cell) -> target
    mov rdi, [rsp + 0x10]
    mov rsi, [rsp + 0x18]
    mov rdx, [rsp + 0x20]
    mov rcx, [rsp + 0x28]
    mov r8, [rsp + 0x30]
    mov r9, [rsp + 0x38]
    movdqu xmm0, [rsp + 0x40]
    movdqu xmm1, [rsp + 0x50]
    movdqu xmm2, [rsp + 0x60]
    movdqu xmm3, [rsp + 0x70]
    movdqu xmm4, [rsp + 0x80]
    movdqu xmm5, [rsp + 0x90]
    movdqu xmm6, [rsp + 0xA0]
    movdqu xmm7, [rsp + 0xB0]
    mov rsp, rbp
    pop rbp
    jmp rax

cosmos_helpers_av_end:

; Bounds of helpers whose first instruction may fault on a null `this` or destination: such a
; fault is a NullReferenceException at the helper's return address.
global cosmos_helpers_av_bounds
cosmos_helpers_av_bounds:                   ; (ulong* end) -> start
    lea rax, [cosmos_helpers_av_end]
    mov [rdi], rax
    lea rax, [cosmos_helpers_av_start]
    ret

global cosmos_initial_dispatch_stub
cosmos_initial_dispatch_stub:
    lea rax, [RhpInitialDynamicInterfaceDispatch]
    ret
