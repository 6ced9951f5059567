; The starting point of a precise stack walk (Cosmos.Core.Runtime.Gc.StackRoots).
bits 64
default rel

section .text

; void cosmos_call_with_context(void (*worker)(LimitedContext*, void*), void* argument)
; Calls worker(context, argument) with the caller's context as a PAL_LIMITED_CONTEXT on this
; stack (IP = our return address, Rsp = the caller's SP after the return, the callee-saved
; registers as the caller has them), then reloads the callee-saved registers from it: a collector
; that updated a reference held in one of them has updated the register.
global cosmos_call_with_context
cosmos_call_with_context:
    lea rax, [rsp + 8]
    mov r11, [rsp]
    push 0                                  ; alignment pad
    push r15
    push r14
    push r13
    push r12
    push 0                                  ; Rdx (scratch: not live across the call)
    push rbx
    push 0                                  ; Rax (scratch)
    push rbp
    push rax                                ; Rsp
    push r11                                ; IP
    mov rax, rdi
    mov rdi, rsp
    call rax                                ; worker(context, argument in rsi)
    mov rbp, [rsp + 0x10]
    mov rbx, [rsp + 0x20]
    mov r12, [rsp + 0x30]
    mov r13, [rsp + 0x38]
    mov r14, [rsp + 0x40]
    mov r15, [rsp + 0x48]
    add rsp, 0x58
    ret
