; Saved contexts: the starting point of a precise stack walk (cosmos_call_with_context, for
; Cosmos.Core.Runtime.Gc.StackRoots) and thread switching (cosmos_switch_context, for
; Cosmos.Core.Threading.Scheduler). A thread that is not running is stopped inside
; cosmos_switch_context with the same PAL_LIMITED_CONTEXT on its own stack, so the collector walks it
; exactly as it walks the running thread: from a return address into managed code.
bits 64
default rel

extern cosmos_current_thread_block
extern __cosmos_thread_exit

; Pushes the caller's context as a PAL_LIMITED_CONTEXT (0x58 bytes after a pad word): IP = our return
; address, Rsp = the caller's SP after the return, the callee-saved registers as the caller has them,
; Rax and Rdx (scratch, dead across a call) zero. Leaves rsp at the context.
%macro PUSH_CALLER_CONTEXT 0
    lea rax, [rsp + 8]
    mov r11, [rsp]
    push 0                                  ; alignment pad
    push r15
    push r14
    push r13
    push r12
    push 0                                  ; Rdx
    push rbx
    push 0                                  ; Rax
    push rbp
    push rax                                ; Rsp
    push r11                                ; IP
%endmacro

; Reloads the callee-saved registers from the context at rsp, drops it and returns to its IP's caller.
%macro POP_CONTEXT_AND_RETURN 0
    mov rbp, [rsp + 0x10]
    mov rbx, [rsp + 0x20]
    mov r12, [rsp + 0x30]
    mov r13, [rsp + 0x38]
    mov r14, [rsp + 0x40]
    mov r15, [rsp + 0x48]
    add rsp, 0x58
    ret
%endmacro

section .text

; void cosmos_call_with_context(void (*worker)(LimitedContext*, void*), void* argument)
; Calls worker(context, argument) with the caller's context on this stack, then reloads the
; callee-saved registers from it: a collector that updated a reference held in one of them has
; updated the register.
global cosmos_call_with_context
cosmos_call_with_context:
    PUSH_CALLER_CONTEXT
    mov rax, rdi
    mov rdi, rsp
    call rax                                ; worker(context, argument in rsi)
    POP_CONTEXT_AND_RETURN

; void cosmos_switch_context(ulong* saveContext, ulong loadContext, byte* threadBlock)
; Saves the caller's context on this stack and its address in *saveContext, publishes threadBlock
; as the running thread's runtime block, then resumes the thread whose context is at loadContext.
; Called with interrupts off; the resumed thread restores its own interrupt flag.
global cosmos_switch_context
cosmos_switch_context:
    PUSH_CALLER_CONTEXT
    mov [rdi], rsp
    mov [cosmos_current_thread_block], rdx
    mov rsp, rsi
    POP_CONTEXT_AND_RETURN

; A new thread's first instructions, reached by cosmos_switch_context's `ret` from the context
; Scheduler.CreateThread built: r12 = the entry point (an [UnmanagedCallersOnly] method taking
; one pointer-sized argument), r13 = its argument, rbx = 0 (the stack walk's end: no interrupt
; frame below the entry), rsp 16-byte aligned. The entry's return ends the thread.
global cosmos_thread_start
cosmos_thread_start:
    sti
    mov rdi, r13
    call r12
    call __cosmos_thread_exit
    ud2

global cosmos_thread_start_address
cosmos_thread_start_address:
    lea rax, [cosmos_thread_start]
    ret

global cosmos_boot_stack_bounds                ; (ulong* top) -> bottom
extern boot_stack_bottom, boot_stack_top
cosmos_boot_stack_bounds:
    lea rax, [boot_stack_top]
    mov [rdi], rax
    lea rax, [boot_stack_bottom]
    ret

; RhGetThreadEntryPointAddress: what Thread.Start passes to SystemNative_CreateThread as the new
; thread's entry, the class library's own [UnmanagedCallersOnly] ThreadEntryPoint.
extern ThreadEntryPoint
global RhGetThreadEntryPointAddress
RhGetThreadEntryPointAddress:
    lea rax, [ThreadEntryPoint]
    ret

; The class library's finalizer loop ([UnmanagedCallersOnly] ProcessFinalizers), or 0 where ILC
; left it out (no type with a finalizer in the kernel): a weak reference.
extern ProcessFinalizers:weak
global cosmos_finalizer_entry_address
cosmos_finalizer_entry_address:
    mov rax, ProcessFinalizers
    ret
