; Managed start-up, as NativeAOT's own bootstrapper does it: register the module with the
; class library's initialiser, run library initialisers, then enter the kernel.
bits 64
default rel

extern InitializeModules, __managed__Startup, __cosmos_boot_entry, __cosmos_kernel_main, __cosmos_kernel_returned
extern GetRuntimeException, RuntimeFailFast, ThreadEntryPoint, AppendExceptionStackFrame
extern GetSystemArrayEEType, OnFirstChanceException, OnUnhandledException
extern __start___modules, __stop___modules, __kernel_start
extern boot_kind, boot_info

section .rodata
align 8
; Indexed by System.Runtime.ClassLibFunctionId.
classlib_functions:
    dq GetRuntimeException, RuntimeFailFast, ThreadEntryPoint, AppendExceptionStackFrame
    dq 0, GetSystemArrayEEType, OnFirstChanceException, OnUnhandledException
    dq 0, 0, 0, 0
CLASSLIB_FUNCTION_COUNT equ 12

section .text
global __cosmos_managed_start
__cosmos_managed_start:
    push rbp
    mov rbp, rsp
    lea rdi, [__kernel_start]
    lea rsi, [__start___modules]
    lea rdx, [__stop___modules]
    sub rdx, rsi
    shr rdx, 3
    lea rcx, [classlib_functions]
    mov r8d, CLASSLIB_FUNCTION_COUNT
    call InitializeModules
    call __managed__Startup
    mov edi, [boot_kind]
    mov esi, [boot_info]
    call __cosmos_boot_entry
    call __cosmos_kernel_main
    call __cosmos_kernel_returned
    pop rbp
    ret
