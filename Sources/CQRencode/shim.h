// libqrencode (Debian's libqrencode-dev): the QR code shown when a staff member enrols a
// second factor, so the secret never leaves the server for a third-party image service.
#include <qrencode.h>
