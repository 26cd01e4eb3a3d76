@echo off
rem Dobbeltklik paa denne fil for at starte sagsgenerator i din browser.
rem Foerste gang installeres programmet (kraever Python 3.11 fra python.org).
cd /d "%~dp0"
if not exist ".venv\Scripts\sagsgenerator.exe" (
  echo Installerer sagsgenerator. Foerste gang tager det et par minutter ...
  py -3.11 -m venv .venv || python -m venv .venv
  ".venv\Scripts\python.exe" -m pip install --quiet --upgrade pip
  ".venv\Scripts\python.exe" -m pip install --quiet -e .
)
echo Siden aabnes i din browser: http://127.0.0.1:8765  (luk dette vindue for at stoppe)
".venv\Scripts\sagsgenerator.exe" web
pause
