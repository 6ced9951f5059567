; Exception throw and funclet thunks, with the register and stack contracts that CoreLib's
; managed dispatcher (System.Runtime.EH) and RyuJIT's funclets expect (docs/runtime-contract.md §1).
; The *2 labels are the return addresses the stack frame iterator recognises.
bits 64
default rel

extern RhThrowEx, RhThrowHwEx, RhRethrow, RhpCalculateStackTraceWorker

; The running thread's runtime state (cosmos_current_thread_block points at it; the boot thread's
; is cosmos_thread, others' are allocated by Cosmos.Core.Threading); offsets as NativeAOT's Thread (§1.2).
THREAD_FLAGS              equ 0x40
THREAD_DEFERRED_CONTEXT   equ 0x50
THREAD_EXINFO_HEAD        equ 0x78
TSF_DO_NOT_TRIGGER_GC     equ 0x10

; ExInfo (0x190 bytes) and PAL_LIMITED_CONTEXT (0x50 bytes).
EXINFO_SIZE               equ 0x190
EXINFO_PREV               equ 0x00
EXINFO_CONTEXT            equ 0x08
EXINFO_EXCEPTION          equ 0x10
EXINFO_KIND               equ 0x18
EXINFO_PASS               equ 0x19
EXINFO_CLAUSE             equ 0x1C

; REGDISPLAY pointer fields
RD_PRBX equ 0x18
RD_PRBP equ 0x20
RD_PR12 equ 0x58
RD_PR13 equ 0x60
RD_PR14 equ 0x68
RD_PR15 equ 0x70
RD_SP   equ 0x78

section .bss
alignb 64
global cosmos_thread
cosmos_thread: resb 0x100

section .data
align 8
global cosmos_current_thread_block
cosmos_current_thread_block: dq cosmos_thread

section .text

global cosmos_current_thread
cosmos_current_thread:
    mov rax, [cosmos_current_thread_block]
    ret

; Pushes a PAL_LIMITED_CONTEXT whose IP is %1 and Rsp is %2 (registers), callee-saved values live.
%macro PUSH_LIMITED_CONTEXT 2
    push r15
    push r14
    push r13
    push r12
    push 0                                  ; Rdx
    push rbx
    push 0                                  ; Rax
    push rbp
    push %2                                 ; Rsp
    push %1                                 ; IP
%endmacro

; Initialises the ExInfo at rsp (context just above it) with kind %1 and links it as the head.
%macro INIT_EXINFO 1
    mov qword [rsp + EXINFO_EXCEPTION], 0
    mov byte [rsp + EXINFO_KIND], %1
    mov byte [rsp + EXINFO_PASS], 1
    mov dword [rsp + EXINFO_CLAUSE], 0xFFFFFFFF
    lea rax, [rsp + EXINFO_SIZE]
    mov [rsp + EXINFO_CONTEXT], rax
    mov r10, [cosmos_current_thread_block]
    mov rax, [r10 + THREAD_EXINFO_HEAD]
    mov [rsp + EXINFO_PREV], rax
    mov [r10 + THREAD_EXINFO_HEAD], rsp
%endmacro

; RhpThrowEx(rdi = exception): called by managed code for `throw`.
global RhpThrowEx, RhpThrowEx2
RhpThrowEx:
    lea rax, [rsp + 8]                      ; the thrower's SP after our return
    mov rsi, [rsp]                          ; the thrower's IP (a return address)
    push 0                                  ; alignment pad
    PUSH_LIMITED_CONTEXT rsi, rax
    sub rsp, EXINFO_SIZE
    INIT_EXINFO 1                           ; ExKind.Throw
    mov rsi, rsp
    call RhThrowEx                          ; (exception, ref ExInfo): never returns
RhpThrowEx2:
    int3

; RhpRethrow(): `throw;` inside a catch funclet rethrows the active exception.
global RhpRethrow, RhpRethrow2
RhpRethrow:
    lea rax, [rsp + 8]
    mov rsi, [rsp]
    push 0
    PUSH_LIMITED_CONTEXT rsi, rax
    sub rsp, EXINFO_SIZE
    mov r10, [cosmos_current_thread_block]
    mov rdi, [r10 + THREAD_EXINFO_HEAD]     ; the active ExInfo
    INIT_EXINFO 0
    mov rsi, rsp
    call RhRethrow                          ; (ref ExInfo active, ref ExInfo new)
RhpRethrow2:
    int3

; RhpThrowHwEx(edi = exception code, rsi = faulting IP), entered by redirecting a faulting
; context (Cosmos.Core.Interrupts): rsp is the faulting rsp, nothing was pushed.
global RhpThrowHwEx, RhpThrowHwEx2
RhpThrowHwEx:
    mov rax, rsp
    and rsp, -16
    PUSH_LIMITED_CONTEXT rsi, rax
    sub rsp, EXINFO_SIZE
    INIT_EXINFO 2                           ; ExKind.HardwareFault
    mov rsi, rsp
    call RhThrowHwEx                        ; (uint code, ref ExInfo)
RhpThrowHwEx2:
    int3

%macro PUSH_CALLEE_SAVED 0
    push r15
    push r14
    push r13
    push r12
    push rbx
    push rbp
%endmacro
%macro POP_CALLEE_SAVED 0
    pop rbp
    pop rbx
    pop r12
    pop r13
    pop r14
    pop r15
%endmacro
; Loads the parent frame's callee-saved registers through REGDISPLAY (%1 = REGDISPLAY*).
%macro LOAD_FROM_REGDISPLAY 1
    mov rax, [%1 + RD_PRBX]
    mov rbx, [rax]
    mov rax, [%1 + RD_PR12]
    mov r12, [rax]
    mov rax, [%1 + RD_PR13]
    mov r13, [rax]
    mov rax, [%1 + RD_PR14]
    mov r14, [rax]
    mov rax, [%1 + RD_PR15]
    mov r15, [rax]
    mov rax, [%1 + RD_PRBP]
    mov rbp, [rax]
%endmacro

; IntPtr RhpCallCatchFunclet(object ex, byte* handler, REGDISPLAY* rd, ref ExInfo exInfo)
; Calls the catch funclet with the parent's frame registers, then resumes the parent at the
; address the funclet returns, on the parent's stack, popping every ExInfo below it.
; Frame: 7 slots below the 6 saved registers ([rsp+0x10] ex, +0x18 handler, +0x20 rd, +0x28 exInfo).
global RhpCallCatchFunclet, RhpCallCatchFunclet2
RhpCallCatchFunclet:
    PUSH_CALLEE_SAVED
    sub rsp, 0x38
    mov [rsp + 0x10], rdi
    mov [rsp + 0x18], rsi
    mov [rsp + 0x20], rdx
    mov [rsp + 0x28], rcx
    mov r10, [cosmos_current_thread_block]
    and dword [r10 + THREAD_FLAGS], ~TSF_DO_NOT_TRIGGER_GC
    LOAD_FROM_REGDISPLAY rdx
    mov rdi, [rsp + 0x10]
    call [rsp + 0x18]
RhpCallCatchFunclet2:
    mov rdx, [rsp + 0x20]
    mov rcx, [rsp + 0x28]
    mov r8, [rdx + RD_SP]                   ; the SP to resume at
    mov rdi, rcx
.pop_exinfo:
    mov rdi, [rdi + EXINFO_PREV]
    test rdi, rdi
    jz .popped
    cmp rdi, r8
    jb .pop_exinfo
.popped:
    mov r10, [cosmos_current_thread_block]
    mov [r10 + THREAD_EXINFO_HEAD], rdi
    mov rsp, r8
    jmp rax

; void RhpCallFinallyFunclet(byte* handler, REGDISPLAY* rd). Frame: 3 slots below the saves.
global RhpCallFinallyFunclet, RhpCallFinallyFunclet2
RhpCallFinallyFunclet:
    PUSH_CALLEE_SAVED
    sub rsp, 0x18
    mov [rsp + 0x08], rdi
    mov [rsp + 0x10], rsi
    mov r10, [cosmos_current_thread_block]
    and dword [r10 + THREAD_FLAGS], ~TSF_DO_NOT_TRIGGER_GC
    LOAD_FROM_REGDISPLAY rsi
    call [rsp + 0x08]
RhpCallFinallyFunclet2:
    mov rsi, [rsp + 0x10]
    mov rax, [rsi + RD_PRBX]
    mov [rax], rbx
    mov rax, [rsi + RD_PR12]
    mov [rax], r12
    mov rax, [rsi + RD_PR13]
    mov [rax], r13
    mov rax, [rsi + RD_PR14]
    mov [rax], r14
    mov rax, [rsi + RD_PR15]
    mov [rax], r15
    mov rax, [rsi + RD_PRBP]
    mov [rax], rbp
    mov r10, [cosmos_current_thread_block]
    or dword [r10 + THREAD_FLAGS], TSF_DO_NOT_TRIGGER_GC
    add rsp, 0x18
    POP_CALLEE_SAVED
    ret

; bool RhpCallFilterFunclet(object ex, byte* filter, REGDISPLAY* rd). Frame: 1 slot.
global RhpCallFilterFunclet, RhpCallFilterFunclet2
RhpCallFilterFunclet:
    PUSH_CALLEE_SAVED
    sub rsp, 0x08
    mov rax, [rdx + RD_PRBP]
    mov rbp, [rax]
    call rsi                                ; rdi is still the exception
RhpCallFilterFunclet2:
    add rsp, 0x08
    POP_CALLEE_SAVED
    ret

; int RhpGetCurrentThreadStackTrace(IntPtr* buffer, uint length, UIntPtr addressInCurrentFrame)
; Captures the caller's context so that RhpSfiInit(null) can start the walk there.
global RhpGetCurrentThreadStackTrace
RhpGetCurrentThreadStackTrace:
    lea rax, [rsp + 8]
    mov r11, [rsp]
    push 0
    PUSH_LIMITED_CONTEXT r11, rax
    mov r10, [cosmos_current_thread_block]
    mov [r10 + THREAD_DEFERRED_CONTEXT], rsp
    call RhpCalculateStackTraceWorker
    mov r10, [cosmos_current_thread_block]
    mov qword [r10 + THREAD_DEFERRED_CONTEXT], 0
    add rsp, 0x58
    ret

; Addresses the stack frame iterator compares return addresses against.
global cosmos_eh_thunk_addresses
cosmos_eh_thunk_addresses:                  ; (ulong* out7)
    lea rax, [RhpThrowEx2]
    mov [rdi], rax
    lea rax, [RhpRethrow2]
    mov [rdi + 8], rax
    lea rax, [RhpThrowHwEx2]
    mov [rdi + 16], rax
    lea rax, [RhpCallCatchFunclet2]
    mov [rdi + 24], rax
    lea rax, [RhpCallFinallyFunclet2]
    mov [rdi + 32], rax
    lea rax, [RhpCallFilterFunclet2]
    mov [rdi + 40], rax
    lea rax, [__eh_frame_hdr_start]
    mov [rdi + 48], rax
    ret
extern __eh_frame_hdr_start
