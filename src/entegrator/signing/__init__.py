"""signing — the financial seal (mali mühür): XAdES-BES signatures and their verification.

Key sources (PKCS#12 file, PKCS#11 token) sit behind one small Signer interface; the private
key never leaves the token. Depends on ubl only.
"""
