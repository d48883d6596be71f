// The mentee's card form for a Stripe payment: Stripe's Payment Element confirms the Payment
// Intent in the browser, then Stripe brings the mentee back to the payment's page, which
// asks Stripe for the outcome (payments.views.payment).

const form = document.getElementById("stripe-form");
const message = document.getElementById("stripe-message");
const stripe = window.Stripe(form.dataset.publishableKey);
const elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
elements.create("payment").mount("#stripe-element");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  form.querySelector("button").disabled = true;
  const { error } = await stripe.confirmPayment({
    elements,
    confirmParams: { return_url: form.dataset.returnUrl },
  });
  // Only an error comes back here; success leaves for the return address.
  message.textContent = error.message;
  message.hidden = false;
  form.querySelector("button").disabled = false;
});
