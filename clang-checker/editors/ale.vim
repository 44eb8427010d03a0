" Vim + ALE (Debian: apt-get install vim-ale): daxlint's checks through
" daxlint-clang-tidy.  Source it from your vimrc, or run
"   vim -u clang-checker/editors/ale.vim file.c
" Set the path to where your daxlint checkout is.
set nocompatible
packadd! ale
syntax on
let g:ale_linters = {'c': ['clangtidy']}
let g:ale_c_clangtidy_executable = expand('<sfile>:p:h') . '/../../kernel-integration/daxlint-clang-tidy'
let g:ale_lint_on_enter = 1
let g:ale_echo_cursor = 1
let g:ale_virtualtext_cursor = 'all'
set laststatus=2
